/** Small documents generated per test run, each about one clearly separate topic. */
export const VPN_GUIDE = `# VPN guide

## Rotating the VPN key

Rotate the VPN key every 90 days. Open the admin console, choose Network, then press "Rotate key".
The old key keeps working for 24 hours so laptops can pick up the new one.
`;

export const ONBOARDING = `Onboarding checklist

New engineers get a laptop on day one. They join the #general channel, read the coding handbook and
pair with a buddy for the first two weeks. Payroll questions go to the people team.
`;

export const EXPENSES = `Expense policy

Travel expenses are reimbursed within 30 days. Keep every receipt; meals abroad are capped at 60 euros a day.
`;

/** A .docx that starts like a zip but is garbage after the signature: the loader must fail this one file with a reason. */
export function corruptDocx(): Buffer {
  const bytes = Buffer.alloc(2048);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 251;
  bytes.write('PK\u0003\u0004', 0, 'latin1');
  return bytes;
}

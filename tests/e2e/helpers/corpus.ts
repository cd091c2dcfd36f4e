import { randomBytes } from 'node:crypto';

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

/** A .docx that is not a zip at all: the loader must fail this one file with a reason. */
export const corruptDocx = () => randomBytes(2048);

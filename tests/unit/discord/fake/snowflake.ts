const DISCORD_EPOCH = 1_420_070_400_000n;
let counter = 0n;

/** A fresh, increasing Discord-style snowflake id. */
export function nextSnowflake(): string {
  counter = (counter + 1n) % 4096n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (BigInt(process.pid % 1024) << 12n) | counter).toString();
}

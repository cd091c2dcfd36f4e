import { hostname } from 'node:os';
import { processOwner } from '../../adapters/registry/sql-registry.js';

/**
 * Whether the process recorded as a job's owner (`host:pid`) still runs. Jobs of this very process
 * are alive; jobs from another host cannot be checked and are left alone; a row without an owner
 * predates owners and was left by a run that has ended.
 */
export function isJobOwnerAlive(owner: string | null): boolean {
  if (!owner) return false;
  if (owner === processOwner()) return true;
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host !== hostname()) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a link's periodic syncs (consumer offset sync, ACL sync) report about themselves. The link's
 * worker keeps the last report of each sync and writes it into its status file; `link describe`
 * shows it. Invariants: `enabled: false` carries no counts; counts and lastSuccessAtMs describe the
 * last pass that succeeded, `error` the last pass that failed (absent once a pass succeeds again).
 */

export const SYNC_NAMES = ['consumer_offset_sync', 'acl_sync'] as const;
export type SyncName = (typeof SYNC_NAMES)[number];

export interface SyncStatus {
  enabled: boolean;
  /** Epoch ms when the last pass started (successful or not). */
  lastRunAtMs?: number;
  /** Epoch ms when the last successful pass ended. */
  lastSuccessAtMs?: number;
  /** Offset sync: consumer groups whose offsets on the destination match the source after the last pass. */
  groups?: number;
  /** Offset sync: partitions (of those groups, on mirror topics) whose offsets match after the last pass. */
  partitions?: number;
  /** ACL sync: ACLs selected by acl.filters on the source that are present on the destination. */
  acls?: number;
  /** Why the last pass failed; absent when it succeeded. */
  error?: string;
}

/** The syncs of one link as the worker's status file holds them. */
export type LinkSyncStatuses = Partial<Record<SyncName, SyncStatus>>;

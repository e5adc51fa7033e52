/**
 * A cluster link as clink stores it: the source connection (bootstrap, client properties), the
 * destination (a registered cluster, by name) and the link configs the user set. Effective values of
 * link configs (defaults included) are derived, never stored.
 */
export interface LinkRecord {
  name: string;
  /** Stable id, like Confluent's cluster_link_id. */
  linkId: string;
  /** Name of the registered destination cluster. */
  destination: string;
  /** Cluster id of the destination when the link was created (detects a re-pointed registration). */
  destinationClusterId?: string;
  sourceBootstrapServers: string;
  /** Checked against the real source when given or validated. */
  sourceClusterId?: string;
  /** Source client properties other than bootstrap.servers. */
  sourceClientConfig: Record<string, string>;
  /** Link configs explicitly set (string values, validated). */
  configs: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

// Tables owned by the discovery feature.

// biome-ignore lint/suspicious/noEmptyInterface: filled in as the feature's tables are added.
export interface DiscoveryTables {}

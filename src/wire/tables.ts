// Tables owned by the wire feature.

// biome-ignore lint/suspicious/noEmptyInterface: filled in as the feature's tables are added.
export interface WireTables {}

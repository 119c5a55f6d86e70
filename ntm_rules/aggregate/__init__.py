"""Units that contain units: data sets, membership, aggregates and the counts reported over
many units (buckets, targets, "recognised but no longer meeting")."""

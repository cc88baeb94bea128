package dev.tracelake.query;

import dev.tracelake.storage.PartitionManifest;
import java.util.Collection;
import java.util.List;

/**
 * Which of a partition's listed objects a query reads, given its manifest: {@link
 * PartitionManifest#readable} or {@link PartitionManifest#summaries}.
 */
@FunctionalInterface
interface PartitionObjects {
  List<String> of(PartitionManifest manifest, Collection<String> listed);
}

/** The scan queue in the database (dedup, leases, bounded concurrency, retries, timeout), its worker, scan on push, on demand and stop. */
@NullMarked
package io.wharf.scanner.trigger;

import org.jspecify.annotations.NullMarked;

/** Scan reports, immutable per (digest, scanner, report type), their summaries and Harbor's {@code scan_overview}. */
@NullMarked
package io.wharf.scanner.report;

import org.jspecify.annotations.NullMarked;

/**
 * Vulnerability scanning through Harbor's pluggable scanner adapter API: scanner registrations and
 * the adapter protocol client (later the reports and the scan queue).
 *
 * <p>This module depends on core only; the API and the console expose it. The design is in
 * {@code docs/scanning.md}.
 */
@NullMarked
package io.wharf.scanner;

import org.jspecify.annotations.NullMarked;

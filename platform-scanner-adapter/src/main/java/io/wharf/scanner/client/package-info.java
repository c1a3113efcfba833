/**
 * The client of Harbor's pluggable scanner adapter API (spec v1.0 to v1.2): metadata, scan
 * requests and reports with the spec's versioned media types, over {@code java.net.http}. Knows
 * nothing of registrations as stored, of projects or of persistence.
 */
@NullMarked
package io.wharf.scanner.client;

import org.jspecify.annotations.NullMarked;

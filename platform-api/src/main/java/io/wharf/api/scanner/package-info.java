/**
 * Harbor's scanner API: {@code /api/v2.0/scanners} (registrations, for system administrators) and
 * {@code /api/v2.0/projects/{p}/scanner} (a project's scanner), in Harbor's JSON shapes.
 */
@NullMarked
package io.wharf.api.scanner;

import org.jspecify.annotations.NullMarked;

/**
 * The scanning administration of the console, for system administrators: scanner registrations (add
 * after the adapter answered, set the default, enable and disable, delete), scan all (run now, the
 * schedule, the newest run's progress, stop) and the system's CVE allowlist.
 */
@NullMarked
package io.wharf.web.console.scanner;

import org.jspecify.annotations.NullMarked;

/** The console's administration pages for system administrators: users, audit log, system information. */
@NullMarked
package io.wharf.web.console.admin;

import org.jspecify.annotations.NullMarked;

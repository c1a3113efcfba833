/** The console's project pages: the list, settings, members, robots and the project's audit log. */
@NullMarked
package io.wharf.web.console.project;

import org.jspecify.annotations.NullMarked;

/** The console's project pages: the list, settings, members and robots. */
@NullMarked
package io.wharf.web.console.project;

import org.jspecify.annotations.NullMarked;

/** The web console's shared parts: the layout's model, flash messages, paging and the error pages. */
@NullMarked
package io.wharf.web.console;

import org.jspecify.annotations.NullMarked;

/** The executable application and, later, the web console. */
@NullMarked
package io.wharf.web;

import org.jspecify.annotations.NullMarked;

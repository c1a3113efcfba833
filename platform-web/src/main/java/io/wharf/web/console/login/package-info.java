/** The console's login page. */
@NullMarked
package io.wharf.web.console.login;

import org.jspecify.annotations.NullMarked;

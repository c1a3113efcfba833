/** The console's profile page: the user's own account and password. */
@NullMarked
package io.wharf.web.console.profile;

import org.jspecify.annotations.NullMarked;

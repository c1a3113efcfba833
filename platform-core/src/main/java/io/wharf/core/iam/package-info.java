/**
 * Identity and access: users, projects and their members, robot accounts, logins with lockout,
 * the role matrix ({@link io.wharf.core.iam.Role}), the {@link io.wharf.core.iam.AccessPolicy} that
 * decides what a {@link io.wharf.core.iam.Principal} may do, and registry tokens.
 */
@NullMarked
package io.wharf.core.iam;

import org.jspecify.annotations.NullMarked;

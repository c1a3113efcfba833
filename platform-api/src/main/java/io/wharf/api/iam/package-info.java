/**
 * The REST API for users, projects, members and robots at {@code /api/v2.0}, shaped like Harbor's
 * (paths, JSON field names, {@code role_id} numbers, paging headers, error body) so scripts written
 * for Harbor work.
 */
@NullMarked
package io.wharf.api.iam;

import org.jspecify.annotations.NullMarked;

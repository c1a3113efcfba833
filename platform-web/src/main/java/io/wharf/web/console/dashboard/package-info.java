/** The console's start page: projects, counts, storage, recent pushes, charts of storage and activity and, for administrators, recent audit events. */
@NullMarked
package io.wharf.web.console.dashboard;

import org.jspecify.annotations.NullMarked;

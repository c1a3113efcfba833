/** The console's pages of a project's tag retention policy, its runs and logs, and its immutable tag rules. */
@NullMarked
package io.wharf.web.console.retention;

import org.jspecify.annotations.NullMarked;

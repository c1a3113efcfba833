/** The console's repository pages: a repository's artifacts, their tags and pull commands, deleting tags and artifacts. */
@NullMarked
package io.wharf.web.console.repository;

import org.jspecify.annotations.NullMarked;

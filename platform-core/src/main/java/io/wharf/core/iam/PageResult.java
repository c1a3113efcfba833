package io.wharf.core.iam;

import java.util.List;

/** One page of a listing and the total number of entries. */
public record PageResult<T>(List<T> items, long total) {
}

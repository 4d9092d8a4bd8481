// SPDX-License-Identifier: Apache-2.0
// Request matchers: method, exact path, path prefix, header present / equal, and their combinations.
//
// A matcher is a small object tree built once (in code or from configuration) and evaluated per
// request against a RequestView. Evaluation reads only what it needs: a method rule never asks the
// host for a header. Paths are compared without the query string.
import { RequestView } from "./request";

/** Base class: matches every request. Subclasses override `matches`. */
export class Matcher {
  matches(request: RequestView): bool {
    return true;
  }

  /** This matcher and `other`. */
  and(other: Matcher): Matcher {
    return new AllOf([this, other]);
  }

  /** This matcher or `other`. */
  or(other: Matcher): Matcher {
    return new AnyOf([this, other]);
  }
}

/** The method is one of `methods` (compared exactly: HTTP methods are case-sensitive). */
export class MethodMatcher extends Matcher {
  constructor(public readonly methods: string[]) {
    super();
  }

  matches(request: RequestView): bool {
    return this.methods.includes(request.method);
  }
}

/** The path (query excluded) equals `path`. */
export class PathMatcher extends Matcher {
  constructor(public readonly path: string) {
    super();
  }

  matches(request: RequestView): bool {
    return request.path == this.path;
  }
}

/** The path (query excluded) starts with `prefix` (a plain string prefix, as Envoy's route `prefix`). */
export class PathPrefixMatcher extends Matcher {
  constructor(public readonly prefix: string) {
    super();
  }

  matches(request: RequestView): bool {
    return request.path.startsWith(this.prefix);
  }
}

/** The header is present (with any value, even empty). */
export class HeaderPresentMatcher extends Matcher {
  constructor(public readonly name: string) {
    super();
  }

  matches(request: RequestView): bool {
    return request.headers.has(this.name).value;
  }
}

/** One of the header's values equals `value` exactly (a repeated header matches on any copy). */
export class HeaderEqualsMatcher extends Matcher {
  constructor(
    public readonly name: string,
    public readonly value: string,
  ) {
    super();
  }

  matches(request: RequestView): bool {
    let first = request.headers.get(this.name);
    if (!first.ok) return false;
    if (first.value == this.value) return true;
    return request.headers.getAll(this.name).value.includes(this.value);
  }
}

/** Every matcher matches (true for an empty list). */
export class AllOf extends Matcher {
  constructor(public readonly matchers: Matcher[]) {
    super();
  }

  matches(request: RequestView): bool {
    for (let i = 0, n = this.matchers.length; i < n; i++) {
      if (!unchecked(this.matchers[i]).matches(request)) return false;
    }
    return true;
  }
}

/** At least one matcher matches (false for an empty list). */
export class AnyOf extends Matcher {
  constructor(public readonly matchers: Matcher[]) {
    super();
  }

  matches(request: RequestView): bool {
    for (let i = 0, n = this.matchers.length; i < n; i++) {
      if (unchecked(this.matchers[i]).matches(request)) return true;
    }
    return false;
  }
}

/** The inner matcher does not match. */
export class NotMatcher extends Matcher {
  constructor(public readonly inner: Matcher) {
    super();
  }

  matches(request: RequestView): bool {
    return !this.inner.matches(request);
  }
}

// Short constructors, so matchers read as sentences: methodIs("GET").and(pathStartsWith("/api/")).

export function anyRequest(): Matcher {
  return new Matcher();
}
export function methodIs(method: string): Matcher {
  return new MethodMatcher([method]);
}
export function methodIn(methods: string[]): Matcher {
  return new MethodMatcher(methods);
}
export function pathIs(path: string): Matcher {
  return new PathMatcher(path);
}
export function pathStartsWith(prefix: string): Matcher {
  return new PathPrefixMatcher(prefix);
}
export function headerPresent(name: string): Matcher {
  return new HeaderPresentMatcher(name);
}
export function headerEquals(name: string, value: string): Matcher {
  return new HeaderEqualsMatcher(name, value);
}
export function allOf(matchers: Matcher[]): Matcher {
  return new AllOf(matchers);
}
export function anyOf(matchers: Matcher[]): Matcher {
  return new AnyOf(matchers);
}
export function not(matcher: Matcher): Matcher {
  return new NotMatcher(matcher);
}

// SPDX-License-Identifier: Apache-2.0
// Metrics (spec: "Metrics"): counters, gauges and histograms, defined once, then updated by id.
//
// Create them once and keep the objects; a metric constructed at module top level (where the host
// forbids defining metrics) defines itself on first use instead. Every worker VM defines its own
// handle to the same host-wide metric. Envoy's rules:
// a counter only grows (increment by <= 0 is BadArgument), a gauge moves both ways or is set with
// `record`, a histogram records samples and cannot be read (`get` is BadArgument). A metric whose
// definition failed (`defined == false`) answers every call with BadArgument without calling the host.
import { MetricType, Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_define_metric, proxy_increment_metric, proxy_record_metric, proxy_get_metric } from "../abi/imports";
import {
  clearOut,
  OUT_WORD,
  outWord,
  outWord64,
  borrowScratch,
  releaseScratch,
  maxUtf8Size,
  writeUtf8,
} from "../abi/memory";

/** Defines (or looks up) a metric; returns the host's id via OUT_WORD and the status. */
function define(metricType: MetricType, name: string): Status {
  let buffer = borrowScratch(maxUtf8Size(name));
  let len = writeUtf8(name, buffer);
  clearOut();
  let status = fromHost(proxy_define_metric(metricType, buffer, len, OUT_WORD));
  releaseScratch(buffer);
  return status;
}

// Metric reads share one Result (../abi/result.ts); a Gauge's value is read from it as i64.
// @ts-ignore: decorator
@lazy const valueResult = new Result<u64>(Status.NotFound, 0);
// @ts-ignore: decorator
@lazy const gaugeResult = new Result<i64>(Status.NotFound, 0);

/**
 * Common part of the three metric kinds: the host id, defined on construction, or on first use
 * when constructed at module top level (where the host forbids defining metrics), so
 * `const requests = new Counter("requests")` at top level works.
 */
export class Metric {
  private resolved: bool = false;
  private status: Status = Status.NotFound;
  private metricId: u32 = 0;

  constructor(
    public readonly metricType: MetricType,
    public readonly name: string,
  ) {
    if (!initializing()) this.resolve();
  }

  /** Defines the metric with the host once; true if usable. */
  private resolve(): bool {
    if (!this.resolved) {
      if (initializing()) {
        refuseDuringInitialize("proxy_define_metric");
        return false;
      }
      this.status = define(this.metricType, this.name);
      this.metricId = this.status == Status.Ok ? outWord() : 0;
      this.resolved = true;
    }
    return this.status == Status.Ok;
  }

  /** Status of the definition (Ok when usable). */
  get definitionStatus(): Status {
    this.resolve();
    return this.status;
  }

  /** The host's id for this metric (0 if not defined). */
  get id(): u32 {
    this.resolve();
    return this.metricId;
  }

  get defined(): bool {
    return this.resolve();
  }

  protected incrementBy(delta: i64): Status {
    if (!this.resolve()) return this.unusable();
    return fromHost(proxy_increment_metric(this.metricId, delta));
  }

  protected recordValue(value: i64): Status {
    if (!this.resolve()) return this.unusable();
    return fromHost(proxy_record_metric(this.metricId, value));
  }

  /** Why a call did not reach the host: the definition failed, or it is still module top level. */
  private unusable(): Status {
    return this.resolved ? Status.BadArgument : Status.InternalFailure;
  }

  protected readValue(): Result<u64> {
    if (!this.resolve()) return valueResult.fill(this.unusable(), 0);
    clearOut();
    let status = fromHost(proxy_get_metric(this.metricId, OUT_WORD));
    return valueResult.fill(status, status == Status.Ok ? outWord64() : 0);
  }
}

/** A monotonically increasing count. */
export class Counter extends Metric {
  constructor(name: string) {
    super(MetricType.Counter, name);
  }
  /** Adds `delta` (> 0; Envoy: BadArgument otherwise). */
  increment(delta: u64 = 1): Status {
    return this.incrementBy(<i64>delta);
  }
  /** Current value. */
  get(): Result<u64> {
    return this.readValue();
  }
}

/** A value that goes up and down. */
export class Gauge extends Metric {
  constructor(name: string) {
    super(MetricType.Gauge, name);
  }
  /** Adds `delta` (may be negative). */
  add(delta: i64): Status {
    return this.incrementBy(delta);
  }
  /** Sets the value. */
  set(value: i64): Status {
    return this.recordValue(value);
  }
  /** Current value. */
  get(): Result<i64> {
    let read = this.readValue();
    return gaugeResult.fill(read.status, <i64>read.value);
  }
}

/** A distribution of samples (not readable back). */
export class Histogram extends Metric {
  constructor(name: string) {
    super(MetricType.Histogram, name);
  }
  /** Records one sample. */
  record(value: u64): Status {
    return this.recordValue(<i64>value);
  }
}

// SPDX-License-Identifier: Apache-2.0
// Metrics (spec: "Metrics"): counters, gauges and histograms, defined once, then updated by id.
//
// Define in onVmStart/onConfigure (never at module top level: _initialize may only log) and keep
// the object. Every worker VM defines its own handle to the same host-wide metric. Envoy's rules:
// a counter only grows (increment by <= 0 is BadArgument), a gauge moves both ways or is set with
// `record`, a histogram records samples and cannot be read (`get` is BadArgument). A metric whose
// definition failed (`defined == false`) answers every call with BadArgument without calling the host.
import { MetricType, Status } from "../abi/enums";
import { fromHost, setLastStatus } from "../abi/status";
import { proxy_define_metric, proxy_increment_metric, proxy_record_metric, proxy_get_metric } from "../abi/imports";
import { clearOut, OUT_WORD, outWord, outWord64, borrowScratch, releaseScratch, maxUtf8Size, writeUtf8 } from "../abi/memory";

/** Defines (or looks up) a metric; returns the host's id via OUT_WORD and the status. */
function define(metricType: MetricType, name: string): Status {
  let buffer = borrowScratch(maxUtf8Size(name));
  let len = writeUtf8(name, buffer);
  clearOut();
  let status = fromHost(proxy_define_metric(metricType, buffer, len, OUT_WORD));
  releaseScratch(buffer);
  return status;
}

/** Common part of the three metric kinds: the host id and whether definition succeeded. */
export class Metric {
  /** Status of the definition (Ok when usable). */
  readonly definitionStatus: Status;
  readonly id: u32;

  constructor(public readonly metricType: MetricType, public readonly name: string) {
    let status = define(metricType, name);
    this.definitionStatus = status;
    this.id = status == Status.Ok ? outWord() : 0;
  }

  get defined(): bool {
    return this.definitionStatus == Status.Ok;
  }

  protected incrementBy(delta: i64): Status {
    if (!this.defined) return setLastStatus(Status.BadArgument);
    return fromHost(proxy_increment_metric(this.id, delta));
  }

  protected recordValue(value: i64): Status {
    if (!this.defined) return setLastStatus(Status.BadArgument);
    return fromHost(proxy_record_metric(this.id, value));
  }

  protected readValue(): u64 {
    if (!this.defined) {
      setLastStatus(Status.BadArgument);
      return 0;
    }
    clearOut();
    if (fromHost(proxy_get_metric(this.id, OUT_WORD)) != Status.Ok) return 0;
    return outWord64();
  }
}

/** A monotonically increasing count. */
export class Counter extends Metric {
  constructor(name: string) { super(MetricType.Counter, name); }
  /** Adds `delta` (> 0; Envoy: BadArgument otherwise). */
  increment(delta: u64 = 1): Status { return this.incrementBy(<i64>delta); }
  /** Current value (0 with `lastStatus()` on failure). */
  get(): u64 { return this.readValue(); }
}

/** A value that goes up and down. */
export class Gauge extends Metric {
  constructor(name: string) { super(MetricType.Gauge, name); }
  /** Adds `delta` (may be negative). */
  add(delta: i64): Status { return this.incrementBy(delta); }
  /** Sets the value. */
  set(value: i64): Status { return this.recordValue(value); }
  /** Current value (0 with `lastStatus()` on failure). */
  get(): i64 { return <i64>this.readValue(); }
}

/** A distribution of samples (not readable back). */
export class Histogram extends Metric {
  constructor(name: string) { super(MetricType.Histogram, name); }
  /** Records one sample. */
  record(value: u64): Status { return this.recordValue(<i64>value); }
}

// Table rows of the figures measured on Parley and on the bare AI SDK baseline (figures 1–4):
// [figure, parley, baseline, ratio, budget, within].
import { fmt, ratioOf } from './util.mjs';

/** The row maker of one run: `tag` (` (run 2)` when there are several runs) follows every name. */
export function baselineRow(tag) {
	return (name, pv, bv, digits, budget, within, { ratio = true, unit = '' } = {}) => [
		name + tag,
		`${fmt(pv, digits)}${unit}`,
		`${fmt(bv, digits)}${unit}`,
		ratio ? `${fmt(ratioOf(pv, bv), 2)}×` : '—',
		budget,
		within
	];
}

/** The row of the other processes' CPU during the measurement: noise, not Parley. */
export function noiseRow(row, p, b) {
	return row("other processes' CPU meanwhile (cores)", p.cpu?.otherCores, b.cpu?.otherCores, 2, 'noise, not Parley', '—', { ratio: false });
}

/** The rows of the servers' event-loop delay during the measurement (from their probe), figure only. */
export function loopDelayRows(row, p, b) {
	return [
		row('event-loop delay p99 (ms)', p.loopDelay?.p99, b.loopDelay?.p99, 1, '—', '—'),
		row('event-loop delay max (ms)', p.loopDelay?.max, b.loopDelay?.max, 1, '—', '—')
	];
}

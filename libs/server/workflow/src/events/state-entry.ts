/**
 * The instant a case first entered a state, read from its audit chain (`case_events`: the first event whose
 * `to_state` is that state and whose `from_state` is another, so self-loops recording a change inside the state
 * do not count), as an SQL expression for a feature's report SQL; NULL when the case never entered it.
 *
 * Features count their cases over time with it (the order classes filed by the end of each month: entered
 * `active`; ended early: entered `terminated`) without reading the engine's tables themselves. `caseId` is an SQL
 * expression naming the case's id (e.g. `c.id`); `stateParam` the placeholder (`$3`) holding the state key. Served by
 * the `(case_id, seq)` index of the events.
 */
export function stateEnteredAtSql(caseId: string, stateParam: string): string {
  return `(SELECT min(ev.at) FROM case_events ev WHERE ev.case_id = ${caseId} AND ev.to_state = ${stateParam} AND ev.from_state IS DISTINCT FROM ev.to_state)`;
}

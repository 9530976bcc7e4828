import { Chip } from '@mui/material';
import type { CaseSummaryDto, WorkflowDefinitionDto } from '@portal/contracts';
import { stageChipColour, stageChipSx, stateOf } from './stages';

/** The stage of a case as a chip, in the diagram's colour of its kind. */
export function StageChip({ summary, def }: { summary: Pick<CaseSummaryDto, 'state' | 'stateLabel'>; def?: WorkflowDefinitionDto }) {
  const kind = stateOf(def, summary.state)?.kind;
  return (
    <Chip size="small" color={stageChipColour(summary.state, kind)} label={summary.stateLabel} sx={stageChipSx(summary.state, kind)} data-testid="stage-chip" />
  );
}

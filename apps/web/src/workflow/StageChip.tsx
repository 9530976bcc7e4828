import { Chip } from '@mui/material';
import type { CaseSummaryDto, WorkflowDefinitionDto } from '@portal/contracts';
import { stageChipColour, stageChipSx, stateOf } from './stages';

/** The stage of a case as a chip, in the diagram's colour of its kind. */
export function StageChip({ summary, def }: { summary: Pick<CaseSummaryDto, 'state' | 'stateLabel'>; def?: WorkflowDefinitionDto }) {
  const st = stateOf(def, summary.state);
  const kind = st?.kind;
  return (
    <Chip
      size="small"
      color={stageChipColour(summary.state, kind, st?.outcome)}
      label={summary.stateLabel}
      sx={stageChipSx(summary.state, kind)}
      data-testid="stage-chip"
    />
  );
}

import { Alert, Autocomplete, Box, Button, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ROSTER_CHANGE_LABELS, type OrderClassStudentDto, type RosterChangeDto } from '@portal/contracts';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi } from '../../common/api';
import { formatDateTime } from '../../common/format';
import { EMPTY_STUDENT, StudentFields, studentBody, type StudentInput } from './StudentFields';

/**
 * 名单变更: a student leaves or joins (date and reason), each an audited action of the case; the record of
 * changes. The owning school records them while the class runs.
 */
export function ChangesPanel({ classId, canRecord, version }: { classId: number; canRecord: boolean; version: number }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const client = useQueryClient();
  const changes = useQuery({
    queryKey: ['order-classes', classId, 'changes'],
    queryFn: () => api.get<RosterChangeDto[]>(listPath(`order-classes/${classId}/changes`, { range: [0, 199] })),
  });
  const [kind, setKind] = useState<'leave' | 'join'>('leave');
  const [leaver, setLeaver] = useState<OrderClassStudentDto | null>(null);
  const [search, setSearch] = useState('');
  // the student who leaves is searched by name on the server (a roster may be far longer than a page)
  const students = useQuery({
    queryKey: ['order-classes', classId, 'students', 'leave-picker', search.trim()],
    queryFn: () =>
      api.get<OrderClassStudentDto[]>(
        listPath(`order-classes/${classId}/students`, { filter: search.trim() ? { q: search.trim() } : {}, sort: ['name', 'ASC'], range: [0, 49] }),
      ),
    enabled: canRecord && kind === 'leave',
    placeholderData: (previous) => previous,
  });
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const [joiner, setJoiner] = useState<StudentInput>(EMPTY_STUDENT);
  const [error, setError] = useState<string | null>(null);
  const record = async () => {
    setError(null);
    try {
      await api.post(`/order-classes/${classId}/changes`, {
        kind,
        date,
        reason,
        version,
        ...(kind === 'leave' ? { studentId: leaver?.id } : { student: studentBody(joiner) }),
      });
      notify('app.oc.saved', { type: 'success' });
      setReason('');
      setLeaver(null);
      setSearch('');
      setJoiner(EMPTY_STUDENT);
      void client.invalidateQueries({ queryKey: ['order-classes'] });
      void client.invalidateQueries({ queryKey: ['case'] });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  // those who have not left (a student who left is still listed by the roster, with the date)
  const present = (students.data ?? []).filter((s) => !s.leftOn);
  return (
    <Stack spacing={2} data-testid="roster-changes">
      {canRecord && (
        <Stack spacing={1}>
          <Stack spacing={1}>
            <TextField
              select
              size="small"
              label={translate('app.oc.change_kind')}
              value={kind}
              onChange={(e) => setKind(e.target.value as 'leave' | 'join')}
              fullWidth
            >
              <MenuItem value="leave">{translate('app.oc.leave')}</MenuItem>
              <MenuItem value="join">{translate('app.oc.join')}</MenuItem>
            </TextField>
            {kind === 'leave' ? (
              <Autocomplete
                size="small"
                options={present}
                loading={students.isFetching}
                value={leaver}
                onChange={(_, v) => setLeaver(v)}
                onInputChange={(_, v, reason) => {
                  if (reason !== 'reset') setSearch(v);
                }}
                filterOptions={(x) => x}
                getOptionLabel={(s) => `${s.name}（${s.idNumberMasked}）`}
                isOptionEqualToValue={(a, b) => a.id === b.id}
                noOptionsText={translate('app.oc.no_student_found')}
                renderInput={(params) => <TextField {...params} label={translate('app.oc.student')} placeholder={translate('app.oc.student_search')} />}
                fullWidth
              />
            ) : (
              <StudentFields value={joiner} onChange={setJoiner} />
            )}
          </Stack>
          <Stack spacing={1}>
            <TextField
              type="date"
              size="small"
              label={translate('app.oc.date')}
              value={date}
              onChange={(e) => setDate(e.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField size="small" label={translate('app.oc.reason')} value={reason} onChange={(e) => setReason(e.target.value)} fullWidth />
            <Button
              variant="contained"
              onClick={() => void record()}
              disabled={!date || reason.trim().length < 2 || (kind === 'leave' ? !leaver : !joiner.name || !joiner.idNumber)}
            >
              {translate('app.oc.record_change')}
            </Button>
          </Stack>
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      )}
      {(changes.data ?? []).length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('app.oc.no_changes')}
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          {/* wide enough to read in the side column: it scrolls rather than stacking each word */}
          <Table size="small" sx={{ minWidth: 720 }}>
            <TableHead>
              <TableRow>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate('app.oc.date')}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate('app.oc.change_kind')}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate('app.oc.student')}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate('app.oc.id_number')}</TableCell>
                <TableCell>{translate('app.oc.reason')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {(changes.data ?? []).map((c) => (
                <TableRow key={c.id}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{c.date}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{ROSTER_CHANGE_LABELS[c.kind]}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{c.studentName}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{c.idNumberMasked}</TableCell>
                  <TableCell>{c.reason}</TableCell>
                  <TableCell>
                    <Typography variant="caption" color="text.secondary">
                      {c.actorName} · {formatDateTime(c.createdAt)}
                    </Typography>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Stack>
  );
}

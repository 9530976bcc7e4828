import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import VisibilityIcon from '@mui/icons-material/Visibility';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TablePagination,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { GENDER_LABELS, STUDENT_DESTINATIONS, type OrderClassStudentDto, type StudentDestination, type StudentRevealDto } from '@portal/contracts';
import { useRef, useState } from 'react';
import { useDataProvider, useNotify, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi } from '../../common/api';
import { EMPTY_STUDENT, StudentFields, studentBody, type StudentInput } from './StudentFields';

interface ImportPreview {
  id: string;
  total: number;
  good: number;
  bad: Array<{ row: number; cells: Record<string, string>; problems: string[] }>;
  status: 'previewed' | 'committed';
  imported: number | null;
}

/** Add one student (before the class runs). */
function AddStudent({ classId, onAdded }: { classId: number; onAdded: () => void }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const [s, setS] = useState<StudentInput>(EMPTY_STUDENT);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setError(null);
    try {
      await api.post(`/order-classes/${classId}/students`, studentBody(s));
      setS(EMPTY_STUDENT);
      notify('app.oc.saved', { type: 'success' });
      onAdded();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Stack spacing={1}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
        <StudentFields value={s} onChange={setS} />
        <Button variant="outlined" onClick={() => void add()} disabled={!s.name || !s.idNumber} sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
          {translate('app.oc.add_student')}
        </Button>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
}

/** Import: upload → the preview lists every bad row with its reasons → commit the good rows. */
function ImportRoster({ classId, onImported }: { classId: number; onImported: () => void }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    setPreview(null);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      setPreview(await api.post<ImportPreview>(`/order-classes/${classId}/students/imports`, body));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  const commit = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const done = await api.post<ImportPreview>(`/order-classes/${classId}/students/imports/${preview.id}/commit`);
      notify(translate('app.oc.imported', { n: done.imported ?? 0 }), { type: 'success' });
      setPreview(null);
      onImported();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1} data-testid="roster-import">
      <Typography variant="body2" color="text.secondary">
        {translate('app.oc.import_hint')}
      </Typography>
      <Stack direction="row" spacing={1}>
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() => void api.download(`/order-classes/${classId}/students/imports/template`, '订单班学生名单模板.xlsx')}
        >
          {translate('app.oc.template')}
        </Button>
        <Button size="small" variant="outlined" startIcon={<UploadFileIcon />} onClick={() => input.current?.click()} disabled={busy}>
          {translate('app.oc.choose_file')}
        </Button>
        <input
          ref={input}
          type="file"
          hidden
          accept=".xlsx,.csv"
          data-testid="roster-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void upload(f);
          }}
        />
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      {preview && (
        <Stack spacing={1} data-testid="import-preview">
          <Alert severity={preview.bad.length ? 'warning' : 'success'}>
            {translate('app.oc.preview_summary', { total: preview.total, good: preview.good, bad: preview.bad.length })}
          </Alert>
          {preview.bad.length > 0 && (
            <Box sx={{ maxHeight: 320, overflow: 'auto' }}>
              <Table size="small" aria-label={translate('app.oc.bad_rows')}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('app.oc.row')}</TableCell>
                    <TableCell>{translate('app.oc.student_name')}</TableCell>
                    <TableCell>{translate('app.oc.id_number')}</TableCell>
                    <TableCell>{translate('app.oc.gender')}</TableCell>
                    <TableCell>{translate('app.oc.problems')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {preview.bad.map((b) => (
                    <TableRow key={b.row}>
                      <TableCell>{b.row}</TableCell>
                      <TableCell>{b.cells.name}</TableCell>
                      <TableCell sx={{ fontFamily: 'monospace' }}>{b.cells.idNumber}</TableCell>
                      <TableCell>{b.cells.gender}</TableCell>
                      <TableCell sx={{ color: 'error.main' }}>{b.problems.join('；')}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
          <Box>
            <Button variant="contained" onClick={() => void commit()} disabled={busy || preview.good === 0}>
              {translate('app.oc.commit', { n: preview.good })}
            </Button>
          </Box>
        </Stack>
      )}
    </Stack>
  );
}

/** The owning school's audited reveal of one student's full ID number and phone. */
function RevealButton({ classId, student }: { classId: number; student: OrderClassStudentDto }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState<StudentRevealDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reveal = async () => {
    setError(null);
    try {
      setShown(await api.post<StudentRevealDto>(`/order-classes/${classId}/students/${student.id}/reveal`, { reason }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const close = () => {
    setOpen(false);
    setShown(null);
    setReason('');
  };
  return (
    <>
      <Button size="small" startIcon={<VisibilityIcon />} onClick={() => setOpen(true)}>
        {translate('app.oc.reveal')}
      </Button>
      <Dialog open={open} onClose={close}>
        <DialogTitle>
          {translate('app.oc.reveal')}：{student.name}
        </DialogTitle>
        <DialogContent>
          {shown ? (
            <Stack spacing={1} sx={{ mt: 1 }}>
              <Typography variant="caption" color="text.secondary">
                {translate('app.oc.revealed')}
              </Typography>
              <Typography sx={{ fontFamily: 'monospace' }}>{shown.idNumber}</Typography>
              <Typography sx={{ fontFamily: 'monospace' }}>{shown.phone ?? '—'}</Typography>
            </Stack>
          ) : (
            <TextField
              sx={{ mt: 1, minWidth: 320 }}
              label={translate('app.oc.reveal_reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              fullWidth
            />
          )}
          {error && <Alert severity="error">{error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{translate('app.common.close')}</Button>
          {!shown && (
            <Button variant="contained" onClick={() => void reveal()} disabled={reason.trim().length < 2}>
              {translate('app.common.ok')}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}

/** One student's completion outcome (结业情况), saved row by row. */
function OutcomeCell({ classId, student, onSaved }: { classId: number; student: OrderClassStudentDto; onSaved: () => void }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const [graduated, setGraduated] = useState(student.graduated === null ? '' : student.graduated ? 'yes' : 'no');
  const [destination, setDestination] = useState<string>(student.destination ?? '');
  const save = async () => {
    try {
      await api.put(`/order-classes/${classId}/students/${student.id}/outcome`, {
        graduated: graduated === 'yes',
        ...(destination ? { destination } : {}),
      });
      notify('app.oc.saved', { type: 'success' });
      onSaved();
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    }
  };
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <TextField select size="small" value={graduated} onChange={(e) => setGraduated(e.target.value)} sx={{ width: 90 }} label={translate('app.oc.graduated')}>
        <MenuItem value="yes">{translate('app.oc.yes')}</MenuItem>
        <MenuItem value="no">{translate('app.oc.no')}</MenuItem>
      </TextField>
      <TextField
        select
        size="small"
        value={destination}
        onChange={(e) => setDestination(e.target.value)}
        sx={{ width: 160 }}
        label={translate('app.oc.destination')}
      >
        {(Object.keys(STUDENT_DESTINATIONS) as StudentDestination[]).map((d) => (
          <MenuItem key={d} value={d}>
            {STUDENT_DESTINATIONS[d]}
          </MenuItem>
        ))}
      </TextField>
      <Button size="small" onClick={() => void save()} disabled={!graduated}>
        {translate('app.oc.save_outcome')}
      </Button>
    </Stack>
  );
}

/**
 * 学生名单: masked for every reader; the owning school adds students (before the class runs), imports a file
 * (preview first), reveals one student's full data (audited), records outcomes while the class runs; the roster
 * as it stood on any date; an export (masked).
 */
export function RosterPanel({
  classId,
  owner,
  rosterOpen,
  reporting,
  outcomes,
}: {
  classId: number;
  owner: boolean;
  rosterOpen: boolean;
  reporting: boolean;
  outcomes: boolean;
}) {
  const translate = useTranslate();
  const api = usePortalApi();
  const client = useQueryClient();
  const dp = useDataProvider();
  const [at, setAt] = useState('');
  // a page of the roster at a time (a class may hold thousands when policy allows), its total from the list's Content-Range
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(50);
  const { data, error } = useQuery({
    queryKey: ['order-classes', classId, 'students', at, page, perPage],
    queryFn: () =>
      dp.getList<OrderClassStudentDto>(`order-classes/${classId}/students`, {
        filter: at ? { at } : {},
        sort: { field: 'id', order: 'ASC' },
        pagination: { page: page + 1, perPage },
      }),
  });
  // an outcome may complete the report (the 提交结业报告 guard): the case's actions are asked for again with the roster
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['order-classes'] });
    void client.invalidateQueries({ queryKey: ['case'] });
  };
  const students = data?.data ?? [];
  const total = data?.total ?? 0;
  return (
    <Stack spacing={2} data-testid="roster">
      {owner && rosterOpen && <AddStudent classId={classId} onAdded={refresh} />}
      {owner && rosterOpen && <ImportRoster classId={classId} onImported={refresh} />}
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <TextField
          type="date"
          size="small"
          label={translate('app.oc.roster_at')}
          value={at}
          onChange={(e) => {
            setAt(e.target.value);
            setPage(0);
          }}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <Typography variant="body2" color="text.secondary">
          {translate('app.oc.roster_count', { n: total })}
        </Typography>
        <Box sx={{ flex: 1 }} />
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() => void api.download(listPath(`order-classes/${classId}/students/export`, { filter: at ? { at } : {} }), '学生名单.xlsx')}
        >
          {translate('app.oc.export_roster')}
        </Button>
      </Stack>
      {error && <Alert severity="error">{errorMessage(error)}</Alert>}
      {students.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('app.oc.no_students')}
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate('app.oc.student_name')}</TableCell>
                <TableCell>{translate('app.oc.gender')}</TableCell>
                <TableCell>{translate('app.oc.birth_year')}</TableCell>
                <TableCell>{translate('app.oc.id_number')}</TableCell>
                <TableCell>{translate('app.oc.phone')}</TableCell>
                <TableCell>{translate('app.oc.joined_on')}</TableCell>
                <TableCell>{translate('app.oc.left_on')}</TableCell>
                {outcomes && <TableCell>{translate('app.oc.outcomes')}</TableCell>}
                {owner && <TableCell />}
              </TableRow>
            </TableHead>
            <TableBody>
              {students.map((s) => (
                <TableRow key={s.id}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{s.name}</TableCell>
                  <TableCell>{GENDER_LABELS[s.gender]}</TableCell>
                  <TableCell>{s.birthYear}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{s.idNumberMasked}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{s.phoneMasked ?? '—'}</TableCell>
                  <TableCell>{s.joinedOn}</TableCell>
                  <TableCell>{s.leftOn ?? '—'}</TableCell>
                  {outcomes && (
                    <TableCell>
                      {owner && reporting && !s.leftOn ? (
                        <OutcomeCell classId={classId} student={s} onSaved={refresh} />
                      ) : s.graduated === null ? (
                        '—'
                      ) : (
                        `${s.graduated ? translate('app.oc.yes') : translate('app.oc.no')}${s.destination ? ` · ${STUDENT_DESTINATIONS[s.destination]}` : ''}`
                      )}
                    </TableCell>
                  )}
                  {owner && (
                    <TableCell>
                      <RevealButton classId={classId} student={s} />
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {total > students.length && (
            <TablePagination
              component="div"
              count={total}
              page={page}
              onPageChange={(_e, p) => setPage(p)}
              rowsPerPage={perPage}
              onRowsPerPageChange={(e) => {
                setPerPage(Number(e.target.value));
                setPage(0);
              }}
              rowsPerPageOptions={[25, 50, 100]}
              labelRowsPerPage={translate('ra.navigation.page_rows_per_page')}
              labelDisplayedRows={({ from, to, count }) => translate('ra.navigation.page_range_info', { offsetBegin: from, offsetEnd: to, total: count })}
            />
          )}
        </Box>
      )}
    </Stack>
  );
}

import type { CaseDiffDto } from '@portal/contracts';
import { Alert, Box, CircularProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { COUNTIES, EVIDENCE_TYPES, INDUSTRIES } from '@portal/contracts';
import { useTranslate } from 'react-admin';
import { errorMessage, errorStatus, usePortalApi } from '../common/api';
import { purposeLabel } from './attachments';
import { casePartKey, casePath } from './hooks';

/** Words for the keys of a submission snapshot (the application's fields and its attachments). */
const SEGMENT: Record<string, string> = {
  application: '申请内容',
  data: '申请内容',
  enterprise: '企业',
  name: '名称',
  creditCode: '统一社会信用代码',
  countyCode: '所在县（市、区）',
  industry: '所属产业',
  year: '年度',
  plan: '三年产教融合规划',
  evidence: '校企合作佐证',
  type: '类型',
  description: '说明',
  schoolName: '合作院校',
  count: '数量',
  amountYuan: '金额（元）',
  source: '来源',
  sourceRef: '来源编号',
  declarations: '承诺声明',
  noMajorAccident: '近三年无重大安全、环保、质量事故',
  notDishonest: '未被列入严重失信主体名单',
  mainBusinessNotEducation: '主营业务不属于教育培训',
  attachments: '附件',
  filename: '文件名',
  purpose: '用途',
  size: '大小',
  sha256: '文件摘要',
  mime: '文件类型',
  documentNo: '文号',
  certifiedAt: '认定日期',
  level: '级别',
};

/** `evidence.0.description` → 校企合作佐证 › 第 1 条 › 说明; `attachments.business_license` → 附件 › 营业执照 */
export function pathLabel(path: string): string {
  const file = /^attachments\.(.+)$/.exec(path);
  if (file && !/^\d+$/.test(file[1])) return `${SEGMENT.attachments} › ${purposeLabel(file[1])}`;
  return path
    .split('.')
    .filter((s) => s !== 'data')
    .map((s) => (/^\d+$/.test(s) ? `第 ${Number(s) + 1} 条` : (SEGMENT[s] ?? s)))
    .join(' › ');
}

const LOOKUPS: Record<string, (v: string) => string | undefined> = {
  type: (v) => (EVIDENCE_TYPES as Record<string, string>)[v],
  countyCode: (v) => COUNTIES.find((c) => c.code === v)?.name,
  industry: (v) => INDUSTRIES.find((i) => i.code === v)?.name,
  purpose: (v) => purposeLabel(v),
  source: (v) => ({ manual: '手工填报', order_class: '平台订单班', practice_record: '平台实践记录' })[v],
};

export function valueText(path: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  const last = path.split('.').at(-1) ?? '';
  if (typeof v === 'string') return LOOKUPS[last]?.(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => valueText(path, x)).join('；');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.description === 'string') return `${valueText('x.type', o.type)}：${o.description}`;
    if (typeof o.filename === 'string') return `${o.filename}（${purposeLabel(o.purpose as string | null)}）`;
    return Object.entries(o)
      .map(([k, x]) => `${SEGMENT[k] ?? k}：${valueText(k, x)}`)
      .join('，');
  }
  // what is left of a JSON value is a number
  return (v as number).toString();
}

/** What changed between the last two submissions (after a return for 补正), field by field. */
export function CaseDiff({ caseRef }: { caseRef: string }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const { data, isPending, error } = useQuery({
    queryKey: casePartKey(caseRef, 'diff'),
    queryFn: () => api.get<CaseDiffDto>(casePath(caseRef, '/diff')),
    retry: false,
  });
  if (isPending) return <CircularProgress size={24} />;
  if (error) {
    return errorStatus(error) === 404 ? (
      <Typography variant="body2" color="text.secondary" data-testid="case-diff">
        {translate('app.diff.not_enough')}
      </Typography>
    ) : (
      <Alert severity="error">{errorMessage(error)}</Alert>
    );
  }
  const changes = data?.changes ?? [];
  return (
    <Box data-testid="case-diff">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate('app.diff.between', { from: data?.from ?? '', to: data?.to ?? '' })}
      </Typography>
      {changes.length === 0 ? (
        <Typography variant="body2">{translate('app.diff.no_changes')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: '28%' }}>{translate('app.diff.field')}</TableCell>
              <TableCell sx={{ width: '8%' }}>{translate('app.diff.change')}</TableCell>
              <TableCell>{translate('app.diff.before')}</TableCell>
              <TableCell>{translate('app.diff.after')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {changes.map((c) => (
              <TableRow key={c.path}>
                <TableCell sx={{ fontWeight: 500 }}>{pathLabel(c.path)}</TableCell>
                <TableCell data-change={c.change}>{c.change ? translate(`app.diff.change_${c.change}`) : ''}</TableCell>
                <TableCell sx={{ bgcolor: '#fdecea', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{valueText(c.path, c.before)}</TableCell>
                <TableCell sx={{ bgcolor: '#e8f5e9', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{valueText(c.path, c.after)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

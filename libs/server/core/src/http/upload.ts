import { DomainException } from '../errors/domain-exception.js';

/** The part of @fastify/multipart's request the upload needs. */
export interface MultipartRequest {
  isMultipart?(): boolean;
  file?(opts: { limits: { fileSize: number; files: number; fields: number; fieldSize: number } }): Promise<
    | {
        filename: string;
        toBuffer(): Promise<Buffer>;
        file: { truncated: boolean };
        /** a text field is `{ value }`; a file part is not */
        fields: Record<string, unknown>;
      }
    | undefined
  >;
}

/** Read one uploaded file (and the text fields sent before it) with a size cap. */
export async function readUpload(
  req: MultipartRequest,
  maxBytes: number,
): Promise<{ bytes: Buffer; filename: string; truncated: boolean; fields: Record<string, string> }> {
  if (!req.isMultipart?.() || !req.file) throw new DomainException('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
  let part;
  try {
    part = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1000 } });
  } catch (e) {
    throw DomainException.validation(`上传内容不正确：${(e as Error).message}`, [{ field: 'file', messages: ['上传内容不正确'] }]);
  }
  if (!part) throw DomainException.validation('请选择要上传的文件', [{ field: 'file', messages: ['缺少文件'] }]);
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new DomainException('PAYLOAD_TOO_LARGE', `附件不能超过 ${Math.round(maxBytes / 1024 / 1024)} MB`);
    throw e;
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(part.fields)) {
    const value = (v as { value?: unknown })?.value;
    if (typeof value === 'string') fields[k] = value;
  }
  return { bytes, filename: part.filename, truncated: part.file.truncated, fields };
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const SECTIONS = ['', '万', '亿', '万亿'];

/** An amount in fen as finance documents write it: 人民币伍万元整, 人民币贰拾万零叁佰元伍角. */
export function rmbUppercase(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error(`rmbUppercase: not an amount in fen: ${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor((fen % 100) / 10);
  const cents = fen % 10;
  let words = '';
  if (yuan === 0) words = '零';
  else {
    let n = yuan;
    let section = 0;
    let needZero = false;
    const parts: string[] = [];
    while (n > 0) {
      const chunk = n % 10000;
      let text = '';
      let zero = false;
      for (let i = 3; i >= 0; i--) {
        const d = Math.floor(chunk / 10 ** i) % 10;
        if (d === 0) {
          if (text) zero = true;
        } else {
          if (zero) text += '零';
          zero = false;
          text += DIGITS[d] + UNITS[i];
        }
      }
      if (chunk !== 0) {
        parts.unshift(text + SECTIONS[section] + (needZero ? '零' : ''));
        needZero = chunk < 1000;
      } else if (parts.length) {
        needZero = true;
      }
      n = Math.floor(n / 10000);
      section++;
    }
    words = parts.join('').replace(/零+$/, '');
  }
  const tail = jiao === 0 && cents === 0 ? '元整' : `元${jiao ? DIGITS[jiao] + '角' : cents ? '零' : ''}${cents ? DIGITS[cents] + '分' : ''}`;
  return `人民币${words}${tail}`;
}

/** ¥50,000.00 */
export function rmbDigits(fen: number): string {
  return `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

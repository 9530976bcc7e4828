import { maskIdNumbers, maskMobileNumbers, maskPersonalNumbers } from './redact.js';

describe('maskPersonalNumbers', () => {
  it('masks a mobile number in a URL, plain and percent-encoded, as the contracts mask a phone', () => {
    expect(maskPersonalNumbers('/api/order-classes/7/students?q=13912345678&range=[0,24]')).toBe('/api/order-classes/7/students?q=139****5678&range=[0,24]');
    // a roster search: filter={"q":"13912345678"} as the browser encodes it
    expect(maskPersonalNumbers('/api/order-classes/7/students?filter=%7B%22q%22%3A%2213912345678%22%7D')).toBe(
      '/api/order-classes/7/students?filter=%7B%22q%22%3A%22139****5678%22%7D',
    );
    expect(maskPersonalNumbers('/x?filter={"q":"13912345678"}')).toBe('/x?filter={"q":"139****5678"}');
    // with the country code, grouped 3-4-4 (space, hyphen, a URL's + or %20)
    expect(maskPersonalNumbers('q=%2B8613912345678')).toBe('q=%2B86139****5678');
    expect(maskPersonalNumbers('q=139-1234-5678&p=139+1234+5678&r=139%201234%205678')).toBe('q=139****5678&p=139****5678&r=139****5678');
    expect(maskPersonalNumbers('联系电话 18800001111，请回电')).toBe('联系电话 188****1111，请回电');
  });

  it('keeps digits that are no mobile number', () => {
    for (const text of [
      '/api/order-classes/13912345?range=[0,24]', // an id, too short
      '/api/x?n=123456789012', // 12 digits
      '/api/x?n=12345678901', // 11 digits, but 12… is no mobile prefix
      '/api/x?n=139123456789', // 12 digits starting like a phone
      '/api/x?at=2026-12-01&range=[0,99]',
      '订单 2026 年 12 人',
    ])
      expect(maskPersonalNumbers(text)).toBe(text);
    expect(maskMobileNumbers('x=2139123456780')).toBe('x=2139123456780');
  });

  it('masks identity numbers as before, and their digits are not taken for phones', () => {
    const url = '/api/x?filter=%7B%22q%22%3A%22330302200509030459%22%7D&q=13800001234';
    expect(maskPersonalNumbers(url)).toBe('/api/x?filter=%7B%22q%22%3A%22330302********0459%22%7D&q=138****1234');
    expect(maskPersonalNumbers(url)).toBe(maskMobileNumbers(maskIdNumbers(url)));
  });
});

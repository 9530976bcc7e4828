import { idNumberCheckChar } from '@portal/contracts';
import { checkStudent } from './student.rules.js';

const id = (first17: string) => first17 + idNumberCheckChar(first17);
// 17th digit odd: male; even: female
const male = id('33030220050314001');
const female = id('33030220050314002');

describe('checkStudent', () => {
  it('accepts a valid student and normalises the ID number and phone', () => {
    const lower = male.toLowerCase();
    expect(checkStudent({ name: ' 张三 ', idNumber: lower, gender: '男', phone: '+86 138-1234-5678' }, '2026-11-29')).toEqual({
      value: { name: '张三', idNumber: male, gender: 'male', birthYear: 2005, phone: '13812345678' },
      problems: [],
    });
    expect(checkStudent({ name: '李四', idNumber: female, gender: 'female', phone: '' }, '2026-11-29').value?.phone).toBeNull();
  });

  it('names every problem of a row', () => {
    const wrongCheck = male.slice(0, 17) + (male[17] === '0' ? '1' : '0');
    expect(checkStudent({ name: '张三', idNumber: wrongCheck, gender: '男', phone: '' }).problems).toEqual(['身份证号码校验位不正确']);
    expect(checkStudent({ name: '张三', idNumber: id('33030220050230001'), gender: '男', phone: '' }).problems).toEqual([
      '身份证号码中的出生日期不存在或晚于今天',
    ]);
    expect(checkStudent({ name: '张三', idNumber: female, gender: '男', phone: '' }).problems).toEqual(['性别与身份证号码不一致']);
    expect(checkStudent({ name: '', idNumber: male, gender: '男', phone: '12345' }).problems).toEqual(['姓名不能为空', '手机号码应为 11 位大陆手机号']);
    expect(checkStudent({ name: '张三', idNumber: '', gender: '', phone: '' }).problems).toEqual(['身份证号码不能为空', '性别不能为空']);
  });

  it('refuses a name with digits (an ID number or phone in the wrong column), half- or full-width', () => {
    for (const name of [male, '张三1', '１３９１２３４５６７８'])
      expect(checkStudent({ name, idNumber: female, gender: '女', phone: '' }).problems).toEqual(['姓名不能含有数字（请检查是否填错了列）']);
    expect(checkStudent({ name: '欧阳·娜娜', idNumber: female, gender: '女', phone: '' }).problems).toEqual([]);
  });

  it('refuses a birth date after today (Asia/Shanghai)', () => {
    expect(checkStudent({ name: '张三', idNumber: id('33030220261130001'), gender: '男', phone: '' }, '2026-11-29').problems).toEqual([
      '身份证号码中的出生日期不存在或晚于今天',
    ]);
  });
});

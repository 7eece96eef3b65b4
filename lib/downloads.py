"""CSV downloads, twice: one that opens correctly in Dutch Excel and one for machines (no Streamlit).

Dutch Excel reads a CSV by the Windows locale: ``;`` between fields, ``,`` as decimal sign, and
UTF-8 only with a byte-order mark (else "Súdwest-Fryslân" arrives garbled). So :func:`excel_csv`
writes UTF-8 with BOM, ``;``, decimal commas, values rounded as the page shows them, booleans as
ja/nee and empty cells for missing values. :func:`plain_csv` is the machine-readable twin: UTF-8
without BOM, ``,`` and ``.``, full precision. Both neutralise cells that a spreadsheet would run as
a formula (``=``, ``+``, ``-``, ``@`` …, see :func:`lib.registry.neutralise_formulas`).
"""
from __future__ import annotations

import pandas as pd

from lib.registry import neutralise_formulas

#: Decimals of float columns not listed by the caller.
DEFAULT_DECIMALS = 1


def _is_bool(s: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(s.dtype) or (
        s.dtype == object and s.dropna().map(type).eq(bool).all() and s.notna().any())


def excel_csv(df: pd.DataFrame, decimals: dict[str, int] | None = None, default_decimals: int = DEFAULT_DECIMALS) -> bytes:
    """``df`` for Dutch Excel: UTF-8 with BOM, ``;``, decimal comma, rounded as shown (``decimals``
    per column, ``default_decimals`` for other float columns), ja/nee."""
    decimals = decimals or {}
    df = neutralise_formulas(df)  # text cells only; numbers are written below, their minus stays a number
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s = df[col]
        if _is_bool(s):
            out[col] = s.map(lambda v: "" if pd.isna(v) else ("ja" if v else "nee"))
        elif pd.api.types.is_float_dtype(s.dtype):
            d = decimals.get(col, default_decimals)
            out[col] = s.map(lambda v, d=d: "" if pd.isna(v) else _dutch(v, d))
        elif pd.api.types.is_integer_dtype(s.dtype):
            out[col] = s.map(lambda v: "" if pd.isna(v) else str(int(v)))
        else:
            out[col] = s
    return out.to_csv(index=False, sep=";", na_rep="").encode("utf-8-sig")


def _dutch(value: float, decimals: int) -> str:
    text = f"{round(float(value), decimals):.{decimals}f}".replace(".", ",")
    return "0" + text[2:] if text.startswith("-0") and not any(c in "123456789" for c in text) else text


def plain_csv(df: pd.DataFrame) -> bytes:
    """``df`` for machines: UTF-8, ``,`` and ``.``, full precision, booleans as true/false."""
    return neutralise_formulas(df).to_csv(index=False, float_format="%.10g").encode("utf-8")

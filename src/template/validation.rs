//! The data validations of the input cells: dates, numbers, choices and
//! the roster's names, each with its prompt and its error message in Chinese.

use super::*;

/// A validation with its Chinese input prompt and error message.
fn explained(
    dv: DataValidation,
    title: &str,
    prompt: &str,
    error_title: &str,
    error: &str,
) -> Result<DataValidation, XlsxError> {
    dv.set_input_title(title)?
        .set_input_message(prompt)?
        .set_error_title(error_title)?
        .set_error_message(error)
        .map(|dv| dv.set_error_style(DataValidationErrorStyle::Stop))
}

pub(super) fn date_validation(label: &str) -> Result<DataValidation, XlsxError> {
    let dv = DataValidation::new().allow_date(DataValidationRule::Between(
        excel_date(DATE_MIN)?,
        excel_date(DATE_MAX)?,
    ));
    let range = format!("{} 至 {}", fmt_ymd(DATE_MIN), fmt_ymd(DATE_MAX));
    explained(
        dv,
        label,
        &format!("请输入日期,{DATE_FORMS};只知道月份的填该月最后一天。可填范围 {range}。"),
        "日期格式不对",
        &format!("{label}应为 {range} 之间的日期,{DATE_FORMS}。请重新输入。"),
    )
}

fn number_validation(label: &str, amount: bool) -> Result<DataValidation, XlsxError> {
    let dv =
        DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0));
    let (prompt, error) = if amount {
        (
            "请填写不小于 0 的数字,单位万元;只填数字,不要带\"万元\"等文字。".to_string(),
            format!("{label}应为不小于 0 的数字(单位:万元),不要带文字。请重新输入。"),
        )
    } else {
        (
            "请填写不小于 0 的数字;计量单位填在\"计量单位\"列。".to_string(),
            format!("{label}应为不小于 0 的数字,不要带文字。请重新输入。"),
        )
    };
    explained(dv, label, &prompt, "数字不对", &error)
}

fn choice_validation(label: &str, choices: &[&str]) -> Result<DataValidation, XlsxError> {
    let list = choices.join("、");
    explained(
        DataValidation::new().allow_list_strings(choices)?,
        label,
        &format!("请从下拉列表中选择:{list}。"),
        "不在可选范围",
        &format!("{label}只能是 {list} 之一,请从下拉列表中选择。"),
    )
}

pub(super) fn names_validation(
    label: &str,
    names: &Names,
    blank_means_self: bool,
) -> Result<DataValidation, XlsxError> {
    let prompt = if blank_means_self {
        "请从下拉列表中选择单位名册中的单位全称;留空表示本单位。"
    } else {
        "请从下拉列表中选择本单位在单位名册中的全称。"
    };
    explained(
        DataValidation::new().allow_list_formula(Formula::new(&names.formula)),
        label,
        prompt,
        "单位不在名册",
        &format!("{label}须为单位名册中的单位全称,请从下拉列表中选择。"),
    )
}

/// The input check of a column, if it has one.
pub(super) fn field_validation(
    table: Option<TableKind>,
    spec: &FieldSpec,
    names: Option<&Names>,
) -> Result<Option<DataValidation>, XlsxError> {
    let label = spec.label();
    Ok(match spec.ty {
        FieldType::Choice(choices) => Some(choice_validation(label, choices)?),
        FieldType::Amount => Some(number_validation(label, true)?),
        FieldType::Quantity => Some(number_validation(label, false)?),
        FieldType::Date => Some(date_validation(label)?),
        FieldType::YesNo => Some(choice_validation(label, &["是", "否"])?),
        FieldType::Text => match (table, spec.key, names) {
            (Some(_), "unit", Some(n)) => Some(names_validation(label, n, true)?),
            _ => None,
        },
    })
}

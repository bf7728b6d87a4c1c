//! The cell formats of the forms, the roster template and their guides.

use super::*;

/// The formats of a workbook, built once.
pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) note_label: Format,
    pub(super) note_text: Format,
    pub(super) note_date: Format,
    pub(super) header_required: Format,
    pub(super) header_conditional: Format,
    pub(super) header_optional: Format,
    pub(super) input_text: Format,
    pub(super) input_amount: Format,
    pub(super) input_qty: Format,
    pub(super) input_date: Format,
    pub(super) unlocked: Format,
    pub(super) guide_title: Format,
    pub(super) guide_heading: Format,
    pub(super) guide_text: Format,
    pub(super) guide_head: Format,
    pub(super) guide_cell: Format,
}

impl Styles {
    pub(super) fn new() -> Styles {
        let font = |f: Format| f.set_font_name("宋体").set_font_size(11);
        let cell = || {
            font(Format::new())
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
        };
        let input = || cell().set_unlocked();
        let header = || {
            cell()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(0xD9E1F2)
        };
        Styles {
            title: font(Format::new())
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            note_label: font(Format::new()).set_align(FormatAlign::VerticalCenter),
            note_text: font(Format::new())
                .set_unlocked()
                .set_num_format("@")
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter),
            note_date: font(Format::new())
                .set_unlocked()
                .set_num_format("yyyy-mm-dd")
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            header_required: header().set_font_color(0xC00000),
            header_conditional: header().set_font_color(0xC65911),
            header_optional: header(),
            input_text: input().set_num_format("@").set_text_wrap(),
            input_amount: input().set_num_format("#,##0.00"),
            input_qty: input().set_num_format("General"),
            input_date: input()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Center),
            unlocked: Format::new().set_unlocked(),
            guide_title: font(Format::new())
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            guide_heading: font(Format::new()).set_bold().set_font_size(12),
            guide_text: font(Format::new())
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            guide_head: header(),
            guide_cell: cell().set_text_wrap(),
        }
    }

    pub(super) fn header(&self, spec: &FieldSpec) -> &Format {
        match spec.required {
            Required::Yes | Required::Key => &self.header_required,
            Required::ForNewOrContinuing | Required::WhenSigned => &self.header_conditional,
            Required::No => &self.header_optional,
        }
    }

    pub(super) fn input(&self, spec: &FieldSpec) -> &Format {
        match spec.ty {
            FieldType::Amount => &self.input_amount,
            FieldType::Quantity => &self.input_qty,
            FieldType::Date => &self.input_date,
            FieldType::Text | FieldType::Choice(_) | FieldType::YesNo => &self.input_text,
        }
    }
}

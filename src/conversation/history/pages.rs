//! What every history screen shares: paging long tables (the «page N of M» line and its
//! buttons, which edit the message) and drawing a chart off the async threads.

use super::{DATA, HistoryText};
use crate::charts::ChartError;
use crate::conversation::{Attachment, AttachmentKind, Btn};
use crate::i18n::Msg;

/// Page `page` of `items` (clamped to the last page), and the page shown with the count.
pub(super) fn page_of<T>(items: &[T], page: u16, per_page: usize) -> (&[T], u16, u16) {
    let pages = items.len().div_ceil(per_page).max(1);
    let pages = u16::try_from(pages).unwrap_or(u16::MAX);
    let page = page.min(pages - 1);
    let start = usize::from(page) * per_page;
    let end = (start + per_page).min(items.len());
    (&items[start.min(end)..end], page, pages)
}

/// The «previous / next page» row and the «page N of M» line, when there is more than one.
pub(super) fn pager(page: u16, pages: u16) -> (Option<Msg>, Vec<Btn>) {
    if pages <= 1 {
        return (None, Vec::new());
    }
    let mut row = Vec::new();
    if page > 0 {
        row.push(Btn::new(
            HistoryText::PrevPage,
            format!("{DATA}p:{}", page - 1),
        ));
    }
    if page + 1 < pages {
        row.push(Btn::new(
            HistoryText::NextPage,
            format!("{DATA}p:{}", page + 1),
        ));
    }
    let line = HistoryText::Page {
        page: i64::from(page) + 1,
        pages: i64::from(pages),
    };
    (Some(line.into()), row)
}

/// A chart drawn off the async threads; `None` when there is nothing to draw (the screen says
/// so in words) or drawing failed (logged: the table still answers).
pub(super) async fn chart<F>(draw: F, file_name: String) -> Option<Attachment>
where
    F: FnOnce() -> Result<Vec<u8>, ChartError> + Send + 'static,
{
    match tokio::task::spawn_blocking(draw).await {
        Ok(Ok(bytes)) => Some(Attachment {
            bytes,
            file_name,
            kind: AttachmentKind::Png,
        }),
        Ok(Err(ChartError::Empty)) => None,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "a history chart was not drawn");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "the chart task failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped_and_counted() {
        let items: Vec<u32> = (0..31).collect();
        let (rows, page, pages) = page_of(&items, 0, 15);
        assert_eq!((rows.len(), page, pages), (15, 0, 3));
        let (rows, page, _) = page_of(&items, 9, 15);
        assert_eq!((rows, page), (&[30][..], 2));
        let none: Vec<u32> = Vec::new();
        assert_eq!(page_of(&none, 3, 15), (&[][..], 0, 1));
    }
}

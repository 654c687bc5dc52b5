//! `cscx demo`.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use crate::cli::{DemoArgs, UiOptions};

pub fn run(_ctx: &Context, _args: &DemoArgs, _ui: &UiOptions) -> anyhow::Result<ExitCode> {
    Err(anyhow!("cscx demo is not built yet"))
}

// The text layer of get_provider_docs in one include: HTML, markdown and OpenAPI documents to
// readable text, kind detection, topic sections and budget cuts. All pure functions.
#pragma once

#include "docs/doc_kind.h"
#include "docs/entities.h"
#include "docs/html_to_text.h"
#include "docs/markdown.h"
#include "docs/openapi_summary.h"
#include "docs/sections.h"

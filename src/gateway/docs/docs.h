// The text layer of get_provider_docs in one include: HTML, markdown and OpenAPI documents to
// readable text, kind detection, topic sections and budget cuts. All pure functions.
#pragma once

#include "gateway/docs/doc_kind.h"
#include "gateway/docs/entities.h"
#include "gateway/docs/html_to_text.h"
#include "gateway/docs/markdown.h"
#include "gateway/docs/openapi_summary.h"
#include "gateway/docs/sections.h"

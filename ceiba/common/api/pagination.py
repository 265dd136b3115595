"""Pagination of every API list: `?page=N&page_size=M` (at most 500), with counts and links."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

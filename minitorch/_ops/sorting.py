"""(placeholder: declared by the op-catalogue work)"""

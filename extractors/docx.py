def extract(data, doc):
    raise NotImplementedError

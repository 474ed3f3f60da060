from django import forms


class TokenForm(forms.Form):
    token = forms.CharField(
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "class": "form-control", "autofocus": True}
        ),
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].label = label

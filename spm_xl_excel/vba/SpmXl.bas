Attribute VB_Name = "SpmXl"
' SPM-XL: tombol Periksa Data dan Hitung Ulang.
'
' The buttons run the package's Python entry points through the xlwings add-in
' (RunPython). The add-in is called late-bound with Application.Run instead of a
' VBA reference or an embedded copy of xlwings.bas, so this project compiles and
' shows a clear message even on a PC without the add-in, and the template does not
' pin one xlwings version (the embedded module loads a DLL named after its version).
Option Explicit

Private Const ADDIN_NAME As String = "xlwings.xlam"

Public Sub PeriksaData()
    JalankanPython "import spm_xl_excel.buttons as b; b.periksa_data()"
End Sub

Public Sub HitungUlang()
    JalankanPython "import spm_xl_excel.buttons as b; b.hitung_ulang()"
End Sub

Private Sub JalankanPython(ByVal perintah As String)
    If Not AddinTerpasang() Then
        MsgBox "Add-in xlwings belum terpasang atau belum aktif." & vbCrLf & _
               "Pasang dengan perintah: xlwings addin install" & vbCrLf & _
               "lalu buka kembali buku kerja ini. Lihat README bagian pemasangan.", _
               vbExclamation, "SPM-XL"
        Exit Sub
    End If
    On Error GoTo Gagal
    Application.Run "'" & ADDIN_NAME & "'!RunPython", perintah
    Exit Sub
Gagal:
    MsgBox "Python tidak dapat dijalankan: " & Err.Description & vbCrLf & _
           "Periksa pemasangan Python, paket spm-xl dan add-in xlwings.", _
           vbCritical, "SPM-XL"
End Sub

Private Function AddinTerpasang() As Boolean
    Dim wb As Workbook
    On Error Resume Next
    Set wb = Application.Workbooks(ADDIN_NAME)
    AddinTerpasang = Not (wb Is Nothing)
End Function

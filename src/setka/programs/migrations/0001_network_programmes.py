# The network programmes: agreements, offers, applications (issue 9).

import django.contrib.postgres.search
import django.core.validators
import django.db.models.deletion
import setka.programs.models.agreements
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('journal', '0004_group_shift'),
        ('network', '0001_registry'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Agreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('number', models.CharField(blank=True, max_length=50, verbose_name='number')),
                ('programme', models.CharField(max_length=300, verbose_name='programme')),
                ('level', models.CharField(choices=[('general', 'general education programme'), ('additional', 'additional general education programme'), ('vocational', 'vocational education programme'), ('higher', 'higher education programme')], default='additional', max_length=16, verbose_name='kind of programme')),
                ('place', models.CharField(blank=True, max_length=100, verbose_name='place of signing')),
                ('student_status', models.TextField(verbose_name='status of the students')),
                ('credit_rules', models.TextField(verbose_name='how and by whom results are credited')),
                ('documents', models.TextField(verbose_name='documents issued')),
                ('changes_rules', models.TextField(verbose_name='how the agreement is changed')),
                ('termination_rules', models.TextField(verbose_name='how the agreement ends')),
                ('starts_on', models.DateField(verbose_name='in force from')),
                ('ends_on', models.DateField(verbose_name='in force until')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('agreed', 'agreed by all parties'), ('active', 'in force'), ('ended', 'ended')], default='draft', max_length=16, verbose_name='status')),
                ('agreed_at', models.DateTimeField(blank=True, null=True, verbose_name='agreed at')),
                ('activated_at', models.DateTimeField(blank=True, null=True, verbose_name='in force since')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='base_agreements', to='network.institution', verbose_name='base institution')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='network.municipality')),
            ],
            options={
                'verbose_name': 'network agreement',
                'verbose_name_plural': 'network agreements',
                'ordering': ['-starts_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='AgreementPart',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=300, verbose_name='part of the programme')),
                ('hours', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='hours')),
                ('staff', models.TextField(blank=True, verbose_name='staff')),
                ('premises', models.TextField(blank=True, verbose_name='premises')),
                ('equipment', models.TextField(blank=True, verbose_name='equipment')),
                ('order', models.PositiveSmallIntegerField(default=0)),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parts', to='programs.agreement')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.institution', verbose_name='implemented by')),
            ],
            options={
                'verbose_name': 'part of a programme',
                'verbose_name_plural': 'parts of programmes',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='AgreementParty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('base', 'base institution'), ('partner', 'partner')], default='partner', max_length=16, verbose_name='role')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved at')),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parties', to='programs.agreement')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreement_parties', to='network.institution')),
            ],
            options={
                'verbose_name': 'party of an agreement',
                'verbose_name_plural': 'parties of agreements',
                'ordering': ['-role', 'institution__short_name'],
            },
        ),
        migrations.CreateModel(
            name='AgreementScan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=300, upload_to=setka.programs.models.agreements.scan_upload_to, verbose_name='file')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('size', models.PositiveIntegerField(default=0)),
                ('content_type', models.CharField(max_length=100)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scans', to='programs.agreement')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'signed copy',
                'verbose_name_plural': 'signed copies',
                'ordering': ['uploaded_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Offer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('kind', models.CharField(choices=[('profile', 'profile course'), ('elective', 'elective course'), ('club', 'club or section'), ('module', 'module of a network programme')], max_length=16, verbose_name='kind')),
                ('area', models.CharField(choices=[('maths', 'mathematics and computer science'), ('science', 'natural sciences'), ('humanities', 'languages and literature'), ('social', 'social sciences and economics'), ('technology', 'technology and engineering'), ('arts', 'arts and music'), ('sport', 'physical culture and sport'), ('career', 'career guidance and pedagogy')], max_length=16, verbose_name='subject area')),
                ('grade_min', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(11)], verbose_name='from grade')),
                ('grade_max', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(11)], verbose_name='to grade')),
                ('age_min', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(3), django.core.validators.MaxValueValidator(25)], verbose_name='from age')),
                ('age_max', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(3), django.core.validators.MaxValueValidator(25)], verbose_name='to age')),
                ('form', models.CharField(choices=[('full_time', 'full-time'), ('part_time', 'part-time'), ('extramural', 'extramural'), ('distance', 'distance learning'), ('external', 'external study')], default='full_time', max_length=16, verbose_name='form of study')),
                ('venue', models.CharField(choices=[('own', 'at the provider'), ('partner', "at a partner's premises"), ('online', 'online')], default='own', max_length=16, verbose_name='venue')),
                ('room', models.CharField(blank=True, max_length=200, verbose_name='room')),
                ('online_url', models.URLField(blank=True, verbose_name='link to the online classes')),
                ('capacity', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(500)], verbose_name='places')),
                ('places_taken', models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='places taken')),
                ('admission', models.CharField(choices=[('decision', "by the provider's decision"), ('first_come', 'first come, first served')], default='decision', max_length=16, verbose_name='admission')),
                ('applications_open_on', models.DateField(verbose_name='applications from')),
                ('applications_close_on', models.DateField(verbose_name='applications until')),
                ('starts_on', models.DateField(verbose_name='classes from')),
                ('ends_on', models.DateField(verbose_name='classes until')),
                ('hours', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(2000)], verbose_name='hours')),
                ('is_credited', models.BooleanField(default=False, verbose_name='results are credited by the home school')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('archived', 'archived')], default='draft', max_length=16, verbose_name='status')),
                ('search', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('agreement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offers', to='programs.agreement', verbose_name='network agreement')),
                ('credited_subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='journal.subject', verbose_name='credited as')),
                ('group', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='offer', to='journal.studygroup', verbose_name='group in the journal')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='offers', to='network.institution', verbose_name='provider')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='offers', to='network.municipality')),
                ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='journal.subject', verbose_name="subject in the provider's journal")),
                ('teachers', models.ManyToManyField(blank=True, related_name='taught_offers', to='network.person', verbose_name='teachers')),
                ('venue_institution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='hosted_offers', to='network.institution', verbose_name='partner hosting it')),
            ],
            options={
                'verbose_name': 'offer',
                'verbose_name_plural': 'offers',
                'ordering': ['title', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Application',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('status', models.CharField(choices=[('home_review', 'awaiting the home school'), ('pending', 'awaiting the provider'), ('accepted', 'accepted'), ('waitlisted', 'on the waiting list'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn')], max_length=16, verbose_name='status')),
                ('message', models.TextField(blank=True, verbose_name='message')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('home_confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.person', verbose_name='applied by')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('home_confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('home_institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.institution', verbose_name='home school')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.institution', verbose_name='provider')),
                ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='journal.groupmember')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='offer_applications', to='network.person')),
                ('offer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='programs.offer')),
            ],
            options={
                'verbose_name': 'application',
                'verbose_name_plural': 'applications',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='OfferSlot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weekday', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(7)], verbose_name='weekday')),
                ('date', models.DateField(blank=True, null=True, verbose_name='date')),
                ('starts_at', models.TimeField(verbose_name='from')),
                ('ends_at', models.TimeField(verbose_name='until')),
                ('offer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='programs.offer')),
            ],
            options={
                'verbose_name': 'time of classes',
                'verbose_name_plural': 'times of classes',
                'ordering': ['date', 'weekday', 'starts_at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['municipality', 'status'], name='agreement_muni_status_idx'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='agreement_dates_ordered'),
        ),
        migrations.AddConstraint(
            model_name='agreementparty',
            constraint=models.UniqueConstraint(fields=('agreement', 'institution'), name='agreement_party_unique'),
        ),
        migrations.AddIndex(
            model_name='offer',
            index=models.Index(fields=['municipality', 'status', 'kind'], name='offer_catalogue_idx'),
        ),
        migrations.AddIndex(
            model_name='offer',
            index=models.Index(fields=['institution', 'status'], name='offer_provider_idx'),
        ),
        migrations.AddConstraint(
            model_name='offer',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='offer_dates_ordered'),
        ),
        migrations.AddConstraint(
            model_name='offer',
            constraint=models.CheckConstraint(condition=models.Q(('applications_close_on__gte', models.F('applications_open_on'))), name='offer_window_ordered'),
        ),
        migrations.AddConstraint(
            model_name='offer',
            constraint=models.CheckConstraint(condition=models.Q(('grade_min__isnull', True), ('grade_max__isnull', True), ('grade_max__gte', models.F('grade_min')), _connector='OR'), name='offer_grades_ordered'),
        ),
        migrations.AddConstraint(
            model_name='offer',
            constraint=models.CheckConstraint(condition=models.Q(('places_taken__lte', models.F('capacity'))), name='offer_capacity_kept'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['offer', 'status'], name='application_offer_idx'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['student', 'status'], name='application_student_idx'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['home_institution', 'status'], name='application_home_idx'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['institution', 'status'], name='application_provider_idx'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['home_review', 'pending', 'accepted', 'waitlisted'])), fields=('offer', 'student'), name='application_unique_live'),
        ),
        migrations.AddConstraint(
            model_name='offerslot',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('weekday__isnull', False), ('date__isnull', True)), models.Q(('weekday__isnull', True), ('date__isnull', False)), _connector='OR'), name='offer_slot_weekday_or_date'),
        ),
        migrations.AddConstraint(
            model_name='offerslot',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='offer_slot_times_ordered'),
        ),
    ]
